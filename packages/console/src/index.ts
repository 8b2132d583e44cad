export { runDashboard, type DashboardOptions } from './dashboard.ts';
export { runFleetDashboard, type FleetDashboardOptions } from './fleet-dashboard.ts';
