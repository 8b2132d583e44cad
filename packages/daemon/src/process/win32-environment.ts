import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { PROCESS_QUERY_LIMITED_INFORMATION, win32Native } from './win32-native.ts';

const PROCESS_VM_READ = 0x0010;
const PROCESS_BASIC_INFORMATION_CLASS = 0;
// x64 layouts: PEB.ProcessParameters, RTL_USER_PROCESS_PARAMETERS.Environment and .EnvironmentSize.
const PEB_PROCESS_PARAMETERS = 0x20;
const PARAMETERS_ENVIRONMENT = 0x80;
const PARAMETERS_ENVIRONMENT_SIZE = 0x3f0;
// Without EnvironmentSize (older systems) read this much, and stop at the block's end.
const ENVIRONMENT_FALLBACK_BYTES = 64 * 1024;

type Reader = (pid: number) => string | null;
let reader: Reader | null | undefined;

/**
 * Another process's environment block on Windows (`NAME=value` entries separated by NUL), read
 * from its PEB: NtQueryInformationProcess for the PEB's address, then ReadProcessMemory of the
 * process parameters and the block. Null when the process cannot be opened for reading (another
 * user's, a protected one, gone) or off Windows / without koffi. Verified under Wine.
 *
 * @example
 * readWindowsEnvironment(pid)?.split('\0').find((entry) => entry.startsWith('OWL_LAUNCH='));
 */
export function readWindowsEnvironment(pid: number): string | null {
  reader ??= process.platform === 'win32' && win32Native() !== null ? bindReader() : null;
  return reader === null ? null : reader(pid);
}

function bindReader(): Reader {
  const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
  const kernel32 = koffi.load('kernel32.dll');
  const ntdll = koffi.load('ntdll.dll');
  const basicInformation = koffi.struct('OWL_PROCESS_BASIC_INFORMATION', {
    ExitStatus: 'int32',
    PebBaseAddress: 'uint64',
    AffinityMask: 'uint64',
    BasePriority: 'int32',
    UniqueProcessId: 'uint64',
    InheritedFromUniqueProcessId: 'uint64',
  });
  const openProcess = kernel32.func('void* __stdcall OpenProcess(uint32 access, bool inherit, uint32 pid)');
  const closeHandle = kernel32.func('bool __stdcall CloseHandle(void* handle)');
  const queryInformation = ntdll.func('int32 __stdcall NtQueryInformationProcess(void* process, uint32 infoClass, _Out_ OWL_PROCESS_BASIC_INFORMATION* info, uint32 size, _Out_ uint32* returned)');
  const readMemory = kernel32.func('bool __stdcall ReadProcessMemory(void* process, uint64 address, _Out_ uint8* buffer, size_t size, _Out_ size_t* read)');

  const read = (handle: unknown, address: bigint, size: number): Buffer | null => {
    const buffer = Buffer.alloc(size);
    const got = [0];
    if (!readMemory(handle, address, buffer, size, got)) return null;
    return buffer.subarray(0, Number(got[0]));
  };

  return (pid) => {
    const handle = openProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, false, pid);
    if (handle === null) return null;
    try {
      const info: Record<string, unknown> = {};
      if (queryInformation(handle, PROCESS_BASIC_INFORMATION_CLASS, info, koffi.sizeof(basicInformation), [0]) !== 0) return null;
      const peb = read(handle, BigInt(info['PebBaseAddress'] as number | bigint), PEB_PROCESS_PARAMETERS + 8);
      if (peb === null || peb.length < PEB_PROCESS_PARAMETERS + 8) return null;
      const parameters = read(handle, peb.readBigUInt64LE(PEB_PROCESS_PARAMETERS), PARAMETERS_ENVIRONMENT_SIZE + 8);
      if (parameters === null || parameters.length < PARAMETERS_ENVIRONMENT + 8) return null;
      const size = parameters.length >= PARAMETERS_ENVIRONMENT_SIZE + 8 ? Number(parameters.readBigUInt64LE(PARAMETERS_ENVIRONMENT_SIZE)) : 0;
      const block = read(handle, parameters.readBigUInt64LE(PARAMETERS_ENVIRONMENT), size > 0 && size <= 1024 * 1024 ? size : ENVIRONMENT_FALLBACK_BYTES);
      if (block === null) return null;
      const text = block.toString('utf16le');
      // The block ends with an empty entry (two NULs).
      const end = text.indexOf('\0\0');
      return end < 0 ? text : text.slice(0, end);
    } finally {
      closeHandle(handle);
    }
  };
}
