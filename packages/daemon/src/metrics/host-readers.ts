import type { diskUsageSchema, gpuUsageSchema, HostMetrics, networkUsageSchema } from '@owl/rpc/contract';
import { networkInterfaces } from 'node:os';
import type { z } from 'zod';

export type SystemInformation = typeof import('systeminformation');
export type HostMemory = NonNullable<HostMetrics['memory']>;
export type DiskUsage = z.output<ReturnType<typeof diskUsageSchema>>;
export type NetworkUsage = z.output<ReturnType<typeof networkUsageSchema>>;
export type GpuUsage = z.output<ReturnType<typeof gpuUsageSchema>>;

const MIB = 1024 * 1024;

/** Loads systeminformation on first use: a large module the CLI and a metrics-less start never need. */
export async function loadSystemInformation(): Promise<SystemInformation> {
  const module = (await import('systeminformation')) as SystemInformation & { default?: SystemInformation };
  return module.default ?? module;
}

export async function readDisks(si: SystemInformation): Promise<DiskUsage[]> {
  const disks = await si.fsSize();
  return disks.map((disk) => ({ mount: disk.mount, fs: disk.fs, type: disk.type, size: disk.size, used: disk.used }));
}

export async function readNetwork(si: SystemInformation): Promise<NetworkUsage[]> {
  // systeminformation calls os.networkInterfaces() inside a callback, where a throw escapes its
  // promise and ends the daemon; it does throw in a Windows service under Wine. Ask first, here.
  networkInterfaces();
  const interfaces = await si.networkStats('*');
  return interfaces.map((stats) => ({
    iface: stats.iface,
    rxBytes: stats.rx_bytes,
    txBytes: stats.tx_bytes,
    rxPerSec: finiteOrNull(stats.rx_sec),
    txPerSec: finiteOrNull(stats.tx_sec),
  }));
}

/** GPUs as the driver reports them; utilization and memory only where nvidia-smi (or alike) answers. */
export async function readGpus(si: SystemInformation): Promise<GpuUsage[]> {
  const { controllers } = await si.graphics();
  return controllers.map((controller) => ({
    vendor: controller.vendor,
    model: controller.model,
    utilization: finiteOrNull(controller.utilizationGpu),
    memoryUsed: scaleOrNull(controller.memoryUsed, MIB),
    memoryTotal: scaleOrNull(controller.memoryTotal ?? controller.vram ?? undefined, MIB),
    temperature: finiteOrNull(controller.temperatureGpu),
  }));
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function scaleOrNull(value: number | null | undefined, factor: number): number | null {
  const finite = finiteOrNull(value);
  return finite === null ? null : finite * factor;
}
