import type { MoverInvoker } from '../../domain/ports';

type LambdaModule = typeof import('@aws-sdk/client-lambda');

export interface LambdaMoverInvokerOptions {
  /** the mover function's name or ARN */
  readonly functionName: string;
  readonly region: string;
  readonly clientOptions?: Record<string, unknown>;
}

/** What the mover function receives: the task to work on. */
export interface MoverInvocation {
  readonly taskId: string;
}

/**
 * MoverInvoker on Lambda's Invoke with InvocationType Event: queued by Lambda, answered at once.
 * The client is loaded on first use, so the API's cold start does not pay for it.
 */
export class LambdaMoverInvoker implements MoverInvoker {
  private loaded?: Promise<{ module: LambdaModule; client: InstanceType<LambdaModule['LambdaClient']> }>;

  constructor(private readonly options: LambdaMoverInvokerOptions) {}

  async invoke(taskId: string): Promise<void> {
    const { module, client } = await this.load();
    const payload: MoverInvocation = { taskId };
    await client.send(
      new module.InvokeCommand({ FunctionName: this.options.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
    );
  }

  private load() {
    this.loaded ??= import('@aws-sdk/client-lambda').then((module) => ({
      module,
      client: new module.LambdaClient({ region: this.options.region, ...this.options.clientOptions }),
    }));
    return this.loaded;
  }
}
