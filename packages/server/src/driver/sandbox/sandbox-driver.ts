// The sandbox driver: the simulated WeChat network that is wxgate's default and its test harness.
import type { InstanceRecord } from '../../storage/ports.ts';
import type { Driver, DriverEventSink, DriverOperations, DriverPath, DriverSession } from '../driver.ts';

/**
 * The simulated world arrives module by module (see docs/sandbox.md). Until an operation is listed here,
 * its endpoint answers the catalog's NOT_SUPPORTED (HTTP 501) — never a fake success.
 */
function sandboxOperations(): DriverOperations {
  return {};
}

export class SandboxDriver implements Driver {
  readonly name = 'sandbox';

  capabilities(): readonly DriverPath[] {
    return Object.keys(sandboxOperations()) as DriverPath[];
  }

  async open(instance: InstanceRecord, _sink: DriverEventSink): Promise<DriverSession> {
    return {
      guid: instance.guid,
      operations: sandboxOperations(),
      close: async () => {},
    };
  }

  async close(): Promise<void> {}
}
