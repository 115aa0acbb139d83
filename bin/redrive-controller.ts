#!/usr/bin/env node
// The CDK app: one RedriveController-<name> stack per config/<name>.json (see docs/configuration.md),
// and the org view's RedriveOrg-<name> per config/org/<name>.json with -c org=<name> (docs/organization.md).
import { resolve } from 'node:path';

import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { ConfigError } from '../lib/config/controller-config';
import { ALL_CONFIGS, loadConfigs, selectConfigs } from '../lib/config/load-configs';
import { loadOrgConfigs, selectOrgConfigs } from '../lib/org/load-org-configs';
import { RedriveOrgStack } from '../lib/org/redrive-org-stack';
import { RedriveControllerStack } from '../lib/redrive-controller-stack';

const app = new App();
const account = app.node.tryGetContext('account') as string | undefined;
const org = app.node.tryGetContext('org') as string | undefined;
const { configs, orgConfigs } = readConfigs();
for (const config of configs) {
  new RedriveControllerStack(app, `RedriveController-${config.name}`, {
    config,
    description: `redrive-controller for account ${config.account} (${config.name})`,
  });
}
for (const config of orgConfigs) {
  new RedriveOrgStack(app, `RedriveOrg-${config.name}`, { config, description: `redrive-controller org view in account ${config.account} (${config.name})` });
}
// cdk-nag: an unexplained finding interrupts synth (lib/nag-suppressions.ts holds the explained ones)
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

/** A bad config is the operator's to fix: its message alone, not a stack trace. */
function readConfigs() {
  try {
    const orgConfigs = selectOrgConfigs(loadOrgConfigs(resolve(__dirname, '..', 'config', 'org')), { all: account === ALL_CONFIGS, ...(org ? { org: String(org) } : {}) });
    // -c org=<name> alone synthesizes the org stack only
    const configs = org && !account ? [] : selectConfigs(loadConfigs(resolve(__dirname, '..', 'config')), {
      ...(account ? { account: String(account) } : {}),
      ...(process.env.CDK_DEFAULT_ACCOUNT ? { defaultAccount: process.env.CDK_DEFAULT_ACCOUNT } : {}),
    });
    return { configs, orgConfigs };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`redrive-controller: ${error.message}`);
    // the CDK CLI then adds its own "Subprocess exited with error 1" (and, on deploy, notices): say what it means
    console.error('redrive-controller: the configuration above stopped synth; the CDK lines that follow report only that (nothing was deployed).');
    process.exit(1);
  }
}
