// cytoscape-elk ships no types: it is a cytoscape extension (cytoscape.use(elk)) adding layout "elk".
declare module "cytoscape-elk" {
  import type { Ext } from "cytoscape";

  const ext: Ext;
  export default ext;
}
