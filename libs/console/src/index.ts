export * from './static';
export { matchRoute, routeFor, routesOf, startGateway } from './gateway';
export type { Gateway, Route } from './gateway';
