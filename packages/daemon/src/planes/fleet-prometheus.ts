import { Gauge, type Registry } from 'prom-client';

/** One node of the fleet as the leader sees it (heartbeat + newest folded summary). */
export interface FleetSeriesNode {
  id: string;
  alias: string;
  online: boolean;
  cpu: number | null;
  memory: number | null;
  appsRunning: number;
  appsTotal: number;
}

export interface FleetSeries {
  term: number;
  nodes: FleetSeriesNode[];
}

/**
 * Fleet series on the leader's `/metrics`, labelled by node: one scrape of the leader shows
 * the whole fleet. Followers render none (null), so a fleet is not counted once per node.
 */
export function createFleetGauges(registry: Registry): (series: FleetSeries | null) => void {
  const gauge = (name: string, help: string, labelNames: string[] = ['node', 'alias']): Gauge => new Gauge({ name, help, labelNames, registers: [registry] });
  const term = gauge('owl_fleet_leader_term', 'Term (fencing token) of this node\'s leadership; present only on the leader.', []);
  const up = gauge('owl_fleet_node_up', '1 when the node\'s heartbeat is live, 0 when it is offline.');
  const cpu = gauge('owl_fleet_node_cpu_percent', 'Host CPU use of the node in percent, from its newest summary.');
  const memory = gauge('owl_fleet_node_memory_bytes', 'Host memory in use on the node, from its newest summary.');
  const running = gauge('owl_fleet_node_apps_running', 'App instances running on the node.');
  const total = gauge('owl_fleet_node_apps', 'App instances the node supervises.');
  const all = [term, up, cpu, memory, running, total];
  return (series) => {
    for (const metric of all) metric.reset();
    if (!series) return;
    term.set(series.term);
    for (const node of series.nodes) {
      const labels = { node: node.id, alias: node.alias };
      up.set(labels, node.online ? 1 : 0);
      running.set(labels, node.appsRunning);
      total.set(labels, node.appsTotal);
      if (node.cpu !== null) cpu.set(labels, node.cpu);
      if (node.memory !== null) memory.set(labels, node.memory);
    }
  };
}
