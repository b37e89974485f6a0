/** The simplified world map, built by vite.config.ts from @svg-maps/world (web/scripts/world-map.ts). */
declare module "virtual:world-map" {
  const map: import("../scripts/world-map").WorldMap;
  export default map;
}
