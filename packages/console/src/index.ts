export { runDashboard, type DashboardOptions } from './dashboard.ts';
