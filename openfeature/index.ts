// OpenFeature providers for edgesplit (README, "Flags"): `edgesplit/openfeature/server` for
// @openfeature/server-sdk, `edgesplit/openfeature/web` for @openfeature/web-sdk. They run in the
// application, never in the Worker, so neither SDK enters the Worker's bundle.
export { EdgesplitServerProvider, type EdgesplitServerOptions } from './server-provider'
export { EdgesplitWebProvider } from './web-provider'
export { type EdgesplitOptions, openFeatureReason } from './evaluate'
