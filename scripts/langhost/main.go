// Command pulumi-language-nodejs is Peerlink's Node.js language host for the Pulumi engine.
//
// The official host lives in a Go module that the module proxy reachable here does not serve, so
// scripts/ensure-pulumi.sh builds this one instead. It speaks the engine's LanguageRuntime gRPC
// protocol (from the sdk/v3 module) and runs programs with @pulumi/pulumi's own `cmd/run` entry
// point, exactly as the official host does; what it leaves out is code generation, packing and
// policy packs, which a Pulumi program run does not need.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The run script exits with this code after it has already shown the user an actionable error.
const exitAfterUserActionableMessage = 32

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
}

func main() {
	host := &languageHost{}
	var positional []string
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "-tracing" || arg == "--tracing":
			if i+1 < len(args) {
				host.tracing = args[i+1]
				i++
			}
		case strings.HasPrefix(arg, "-tracing=") || strings.HasPrefix(arg, "--tracing="):
			host.tracing = arg[strings.Index(arg, "=")+1:]
		case strings.HasPrefix(arg, "-"):
			// Flags of the official host that do not apply here (e.g. -root, -logtostderr, -v=N).
		default:
			positional = append(positional, arg)
		}
	}
	if len(positional) > 0 {
		host.engineAddress = positional[len(positional)-1]
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if host.engineAddress != "" {
		// Exit when the engine goes away, so no host outlives a killed `pulumi`.
		if err := rpcutil.Healthcheck(ctx, host.engineAddress, 5*time.Minute, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "could not start health check: %v\n", err)
			os.Exit(1)
		}
	}

	cancelChannel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancelChannel)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelChannel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start language host RPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

func (h *languageHost) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

// Peerlink programs use only dynamic providers, which the engine starts on demand; there is no
// resource plugin to pre-install, and nothing may be downloaded here anyway.
func (h *languageHost) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "node was not found on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "running node --version: %v", err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

// Dependencies are installed by the project's own `npm ci`; the host never runs a package manager.
func (h *languageHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return server.Send(&pulumirpc.InstallDependenciesResponse{
		Stdout: []byte("Dependencies are managed by npm in the project; nothing to install.\n"),
	})
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := req.GetPwd()
	entryPoint := req.GetProgram()
	var options map[string]any
	if info != nil {
		if info.GetProgramDirectory() != "" {
			programDir = info.GetProgramDirectory()
		}
		if info.GetEntryPoint() != "" {
			entryPoint = info.GetEntryPoint()
		}
		if info.GetOptions() != nil {
			options = info.GetOptions().AsMap()
		}
	}
	if entryPoint == "" {
		entryPoint = "."
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node was not found on PATH; install Node.js 20 or newer"}, nil
	}
	runPath, err := resolveRunScript(node, programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	configJSON, err := legacyConfigJSON(req.GetConfig())
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("failed to serialize configuration: %v", err)}, nil
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("failed to serialize secret keys: %v", err)}, nil
	}

	var nodeArgs []string
	if extra, ok := options["nodeargs"].(string); ok && extra != "" {
		nodeArgs = append(nodeArgs, strings.Fields(extra)...)
	}
	nodeArgs = append(nodeArgs, runPath)
	appendFlag := func(name, value string) {
		if value != "" {
			nodeArgs = append(nodeArgs, "--"+name, value)
		}
	}
	appendFlag("monitor", req.GetMonitorAddress())
	appendFlag("engine", h.engineAddress)
	appendFlag("organization", req.GetOrganization())
	appendFlag("project", req.GetProject())
	appendFlag("stack", req.GetStack())
	appendFlag("pwd", programDir)
	if info != nil {
		appendFlag("root-directory", info.GetRootDirectory())
	}
	if req.GetDryRun() {
		nodeArgs = append(nodeArgs, "--dry-run")
	}
	appendFlag("query-mode", strconv.FormatBool(req.GetQueryMode()))
	appendFlag("parallel", strconv.Itoa(int(req.GetParallel())))
	appendFlag("tracing", h.tracing)
	nodeArgs = append(nodeArgs, entryPoint)
	nodeArgs = append(nodeArgs, req.GetArgs()...)

	env := append(os.Environ(),
		"PULUMI_CONFIG="+configJSON,
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	// TypeScript is on unless Pulumi.yaml's runtime options turn it off, as with the official host.
	if typescript, ok := options["typescript"].(bool); !ok || typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	cmd := exec.CommandContext(ctx, node, nodeArgs...)
	cmd.Dir = programDir
	cmd.Env = env
	// Wrap the writers so exec copies through pipes and node's non-blocking stdio cannot break ours.
	cmd.Stdout = struct{ *os.File }{os.Stdout}
	cmd.Stderr = struct{ *os.File }{os.Stderr}
	err = cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == exitAfterUserActionableMessage {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run node): %v", err)}, nil
}

// resolveRunScript finds @pulumi/pulumi/cmd/run as the program itself would resolve it.
func resolveRunScript(node, programDir string) (string, error) {
	cmd := exec.Command(node, "-e", "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/run'))")
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		return "", fmt.Errorf("could not find @pulumi/pulumi from %s; run `npm ci` in the project first", programDir)
	}
	return filepath.Clean(string(out)), nil
}

// legacyConfigJSON presents config keys as <namespace>:config:<name>, the form every
// @pulumi/pulumi version reads.
func legacyConfigJSON(cfg map[string]string) (string, error) {
	transformed := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		transformed[key.Namespace()+":config:"+key.Name()] = v
	}
	out, err := json.Marshal(transformed)
	return string(out), err
}
