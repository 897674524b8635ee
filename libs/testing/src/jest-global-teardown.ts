import { integrationGlobalTeardown } from './infra';
export default integrationGlobalTeardown;
