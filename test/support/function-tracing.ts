import type { Template } from 'aws-cdk-lib/assertions';

/** Each of the stack's own functions (Node.js 22, `index.handler`): its X-Ray mode and its POWERTOOLS_TRACE_ENABLED. */
export function functionTracing(template: Template): Array<{ id: string; mode: unknown; powertoolsTrace: unknown }> {
  return Object.entries(template.findResources('AWS::Lambda::Function'))
    .filter(([, resource]) => resource.Properties.Handler === 'index.handler' && resource.Properties.Runtime === 'nodejs22.x')
    .map(([id, resource]) => ({
      id,
      mode: resource.Properties.TracingConfig?.Mode,
      powertoolsTrace: resource.Properties.Environment?.Variables?.POWERTOOLS_TRACE_ENABLED,
    }));
}
