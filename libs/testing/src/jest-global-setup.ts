import { integrationGlobalSetup } from './infra';
export default integrationGlobalSetup;
