#!/usr/bin/env bash
# A cross-account peering driven with the peerlink CLI and curl only: two accounts, peer information on
# both ends (Bob lists Alice on his VPC), the request, the acceptance, routes on both sides, and the
# delete that takes both routes with it.
# Run from the repository root after `npm ci`: bash examples/control-plane/walkthrough.sh
set -euo pipefail
DATA=$(mktemp -d)
PORT=${PORT:-8799}
E=http://127.0.0.1:$PORT
json() { node -pe "JSON.parse(require('fs').readFileSync(0, 'utf8'))$1"; }

# (`npx peerlink` works the same; the script starts node directly so that it can stop the server.)
node_modules/.bin/peerlink server --port "$PORT" --data "$DATA" --transition-delay-ms 100 --log-level warn &
SERVER=$!
trap 'kill $SERVER; rm -rf "$DATA"' EXIT
until curl -sf "$E/healthz" >/dev/null; do sleep 0.2; done

ALICE=$(npx peerlink account create alice --data "$DATA")   # printed once: keep the key
BOB=$(npx peerlink account create bob --data "$DATA")
KA=$(echo "$ALICE" | json .apiKey); KB=$(echo "$BOB" | json .apiKey)
ALICE_ID=$(echo "$ALICE" | json .accountId); BOB_ID=$(echo "$BOB" | json .accountId)
a() { curl -s -H "Authorization: Bearer $KA" -H 'content-type: application/json' "$@"; }
b() { curl -s -H "Authorization: Bearer $KB" -H 'content-type: application/json' "$@"; }

# Each account creates a VPC in its own account. Bob names Alice's account as one that may request
# peerings to his VPC; to every other account his VPC does not exist.
APP=$(a "$E/v1/vpcs" -d '{"region":"ap-guangzhou","cidrBlock":"10.0.0.0/16","name":"app"}')
PARTNER=$(b "$E/v1/vpcs" -d "{\"region\":\"ap-guangzhou\",\"cidrBlock\":\"172.16.0.0/16\",\"name\":\"partner\",\"allowedPeerAccountIds\":[\"$ALICE_ID\"]}")
APP_ID=$(echo "$APP" | json .vpcId); APP_RTB=$(echo "$APP" | json .routeTableId)
PARTNER_ID=$(echo "$PARTNER" | json .vpcId); PARTNER_RTB=$(echo "$PARTNER" | json .routeTableId)

# Alice requests a peering to Bob's VPC: she sees Connecting, he sees Accepting.
PCX=$(a "$E/v1/peering-connections" -d "{\"vpcId\":\"$APP_ID\",\"peerVpcId\":\"$PARTNER_ID\",\"peerAccountId\":\"$BOB_ID\",\"name\":\"app-partner\"}" | json .peeringId)
echo "alice sees: $(a "$E/v1/peering-connections/$PCX" | json .status)"
PEERLINK_ENDPOINT=$E PEERLINK_API_KEY=$KB npx peerlink peering list

# Bob accepts; the long-poll returns as soon as the peering is Activated.
PEERLINK_ENDPOINT=$E PEERLINK_API_KEY=$KB npx peerlink peering accept "$PCX"
echo "after accept: $(a "$E/v1/peering-connections/$PCX?waitFor=Activated&timeoutMs=10000" | json .state)"

# Routes on both sides; a route to anything outside the peer VPC is refused (not transitive).
a "$E/v1/route-tables/$APP_RTB/routes" -d "{\"destinationCidrBlock\":\"172.16.0.0/16\",\"peeringId\":\"$PCX\"}" | json .routeId
b "$E/v1/route-tables/$PARTNER_RTB/routes" -d "{\"destinationCidrBlock\":\"10.0.0.0/16\",\"peeringId\":\"$PCX\"}" | json .routeId
echo "refused: $(a "$E/v1/route-tables/$APP_RTB/routes" -d "{\"destinationCidrBlock\":\"192.168.0.0/16\",\"peeringId\":\"$PCX\"}" | json .error.code)"

# Either side deletes the peering; the routes through it go in the same transaction.
b -X DELETE "$E/v1/peering-connections/$PCX" | json .state
echo "alice's routes left: $(a "$E/v1/route-tables/$APP_RTB/routes" | json '.routes.map(r => r.nextHopType).join(",")')"
