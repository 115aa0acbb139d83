#!/usr/bin/env node
// The CDK app: one RedriveController-<name> stack per config/<name>.json (see docs/configuration.md).
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { loadConfigs, selectConfigs } from '../lib/config/load-configs';
import { RedriveControllerStack } from '../lib/redrive-controller-stack';

const app = new App();
const account = app.node.tryGetContext('account') as string | undefined;
const configs = selectConfigs(loadConfigs(resolve(__dirname, '..', 'config')), {
  ...(account ? { account: String(account) } : {}),
  ...(process.env.CDK_DEFAULT_ACCOUNT ? { defaultAccount: process.env.CDK_DEFAULT_ACCOUNT } : {}),
});
for (const config of configs) {
  new RedriveControllerStack(app, `RedriveController-${config.name}`, {
    config,
    description: `redrive-controller for account ${config.account} (${config.name})`,
  });
}
// cdk-nag: an unexplained finding interrupts synth (lib/nag-suppressions.ts holds the explained ones)
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
