import { type LambdaClient, ListFunctionEventInvokeConfigsCommand, ListFunctionsCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';

import type { FunctionDeadLetterConfig, FunctionDeadLetterReader } from '../../domain/dlq/dlq-owner-reader';

/** Lambda's largest pages: ListFunctions and ListFunctionEventInvokeConfigs take MaxItems up to 50. */
const PAGE = 50;

/**
 * FunctionDeadLetterReader on the AWS SDK's LambdaClient. ListFunctions returns each function's
 * DeadLetterConfig (https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html); the
 * on-failure destinations are in the asynchronous invocation configurations, one
 * ListFunctionEventInvokeConfigs call per function for all its qualifiers at once
 * (https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionEventInvokeConfigs.html), where
 * GetFunctionEventInvokeConfig would take one call per qualifier.
 */
export class LambdaFunctionDeadLetterReader implements FunctionDeadLetterReader {
  constructor(private readonly client: LambdaClient) {}

  async listFunctions(): Promise<FunctionDeadLetterConfig[]> {
    const functions: FunctionDeadLetterConfig[] = [];
    let marker: string | undefined;
    do {
      const output = await this.client.send(new ListFunctionsCommand({ MaxItems: PAGE, ...(marker ? { Marker: marker } : {}) }));
      for (const fn of output.Functions ?? []) {
        if (!fn.FunctionArn) continue;
        const target = fn.DeadLetterConfig?.TargetArn;
        functions.push({ functionArn: fn.FunctionArn, ...(target ? { deadLetterTargetArn: target } : {}) });
      }
      marker = output.NextMarker;
    } while (marker);
    return functions;
  }

  async onFailureDestinations(functionArn: string): Promise<string[]> {
    const destinations: string[] = [];
    let marker: string | undefined;
    try {
      do {
        const output = await this.client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: functionArn, MaxItems: PAGE, ...(marker ? { Marker: marker } : {}) }));
        for (const config of output.FunctionEventInvokeConfigs ?? []) {
          const destination = config.DestinationConfig?.OnFailure?.Destination;
          if (destination) destinations.push(destination);
        }
        marker = output.NextMarker;
      } while (marker);
    } catch (error) {
      // deleted since ListFunctions: it fails into nothing
      if (error instanceof ResourceNotFoundException) return [];
      throw error;
    }
    return destinations;
  }
}
