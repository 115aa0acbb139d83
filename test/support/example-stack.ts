import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

import { type ControllerConfig,parseControllerConfig } from '../../lib/config/controller-config';
import { RedriveControllerStack, type RedriveControllerStackProps } from '../../lib/redrive-controller-stack';

export const ROOT = resolve(__dirname, '..', '..');

/** config/example.json as parsed JSON, to derive test configs from. */
export function exampleJson(): Record<string, any> {
  return JSON.parse(readFileSync(resolve(ROOT, 'config', 'example.json'), 'utf8'));
}

export function exampleConfig(overrides: Record<string, unknown> = {}): ControllerConfig {
  return parseControllerConfig({ ...exampleJson(), ...overrides }, 'example');
}

export interface SynthOptions {
  readonly config?: ControllerConfig;
  readonly entries?: RedriveControllerStackProps['entries'];
  /** run esbuild for the function assets; off, the assets are placeholders (fast) @default false */
  readonly bundle?: boolean;
  readonly outdir?: string;
  /** changes the stack before synth (tests of the checks themselves) */
  readonly tamper?: (stack: RedriveControllerStack) => void;
}

/** The stack as `cdk synth` builds it, with cdk-nag's AwsSolutions checks as the app registers them. */
export function synthStack(options: SynthOptions = {}): { app: App; stack: RedriveControllerStack; template: Template } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } }),
  });
  const stack = new RedriveControllerStack(app, 'RedriveController-test', {
    config: options.config ?? exampleConfig(),
    ...(options.entries ? { entries: options.entries } : {}),
  });
  options.tamper?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // synth runs the validation plugins: an unexplained cdk-nag finding throws here
  app.synth();
  return { app, stack, template: Template.fromStack(stack) };
}
