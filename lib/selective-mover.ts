import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

import { ENV } from '../lambda/config/environment';
import type { ControllerConfig } from './config/controller-config';
import { destinationLookupStatements, dryRunAccessStatement, moverAccessStatements, replayAccessStatements } from './mover-access';
import { acknowledge } from './nag-suppressions';

/**
 * The selective mover's wiring, once every function exists: its queue rights, no Lambda retries of
 * a failed slice (the reconciler re-drives a lapsed lease), and the functions that invoke it (the
 * API on start and cancel, the reconciler on re-drive) get its name and the right to invoke it.
 * The mover does not invoke itself: that would be a dependency cycle in the template; a slice that
 * ends frees its lease and the reconciler's next run (within a minute) invokes the next.
 */
export function wireSelectiveMover(config: ControllerConfig, functions: Readonly<Record<string, lambda.IFunction>>): void {
  const mover = functions.mover;
  if (!(mover instanceof lambda.Function)) return;
  for (const statement of moverAccessStatements(config)) mover.addToRolePolicy(statement);
  // replays: a configured prefix, and a function's versions and aliases (`<arn>:*`), are wildcards by choice
  const replayWildcards = replayAccessStatements(config).flatMap((statement) => statement.resources).filter((resource) => resource.endsWith('*'));
  acknowledge(mover, replayWildcards.map((resource) => ({
    id: `AwsSolutions-IAM5[Resource::${resource}]`,
    reason: 'A configured replay target (replayTargets): a name prefix the platform team chose, or a function\'s versions and aliases, which a Lambda on-failure record names and a replay invokes.',
  })));
  mover.configureAsyncInvoke({ retryAttempts: 0 });
  for (const name of ['api', 'reconciler']) {
    const invoker = functions[name];
    if (!(invoker instanceof lambda.Function)) continue;
    invoker.addEnvironment(ENV.moverFunctionName, mover.functionName);
    // the function itself, not grantInvoke's `<arn>:*` (every version and alias): only $LATEST is invoked
    invoker.addToRolePolicy(new iam.PolicyStatement({ sid: 'InvokeSelectiveMover', actions: ['lambda:InvokeFunction'], resources: [mover.functionArn] }));
  }
  if (functions.api instanceof lambda.Function) {
    functions.api.addToRolePolicy(dryRunAccessStatement(config));
    for (const statement of destinationLookupStatements(config)) functions.api.addToRolePolicy(statement);
  }
}
