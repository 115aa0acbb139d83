import type { RunningServer } from '../emulators';
import type { IdentityPolicies } from './caller';
import { cloudWatchAuthorization } from './cloudwatch-authorization';
import { dynamoDbAuthorization } from './dynamodb-authorization';
import { startEnforcingProxy } from './enforcing-proxy';
import { eventsAuthorization } from './events-authorization';
import { lambdaAuthorization } from './lambda-authorization';
import type { PolicyDocument } from './policy-evaluator';
import { s3Authorization } from './s3-authorization';
import type { ServiceAuthorization, ServiceScope } from './service-request';
import { sqsAuthorization } from './sqs-authorization';

/** The services the functions call, each with its IAM mapping. */
export const SERVICE_AUTHORIZATIONS = {
  sqs: sqsAuthorization,
  dynamodb: dynamoDbAuthorization,
  events: eventsAuthorization,
  lambda: lambdaAuthorization,
  cloudwatch: cloudWatchAuthorization,
  s3: s3Authorization,
} as const satisfies Record<string, ServiceAuthorization>;

export type EnforcedService = keyof typeof SERVICE_AUTHORIZATIONS;

export interface EnforcementOptions {
  readonly scope: ServiceScope;
  /** each role's identity policies, by role ARN, as synthesized */
  readonly identityPolicies: IdentityPolicies;
  /** access key ids that name another principal than `role/<key id>`; @default - none */
  readonly identities?: Readonly<Record<string, string>>;
  /** resource policies (queues, buses, functions) by the resource's ARN; @default - none */
  readonly resourcePolicies?: Readonly<Record<string, PolicyDocument>>;
  /** the emulators to stand in front of, by service */
  readonly upstreams: Readonly<Partial<Record<EnforcedService, string>>>;
  /** the port of a service's proxy, where it is published (e.g. LAMBDA_PORT); @default - a free port */
  readonly ports?: Readonly<Partial<Record<EnforcedService, number>>>;
  readonly onDenied?: (line: string) => void;
}

export interface Enforcement {
  /** the URL a function should use for each service (its AWS_ENDPOINT_URL_<SERVICE>) */
  readonly urls: Readonly<Partial<Record<EnforcedService, string>>>;
  close(): Promise<void>;
}

/** One enforcing proxy per emulator, all with the same policies: what the local stack puts between its functions and the services. */
export async function startEnforcement(options: EnforcementOptions): Promise<Enforcement> {
  const servers: RunningServer[] = [];
  const urls: Partial<Record<EnforcedService, string>> = {};
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
  try {
    for (const [service, upstream] of Object.entries(options.upstreams) as [EnforcedService, string | undefined][]) {
      if (upstream === undefined) continue;
      const server = await startEnforcingProxy({
        authorization: SERVICE_AUTHORIZATIONS[service],
        upstream,
        ...(options.ports?.[service] !== undefined ? { port: options.ports[service] } : {}),
        scope: options.scope,
        identityPolicies: options.identityPolicies,
        ...(options.identities ? { identities: options.identities } : {}),
        ...(options.resourcePolicies ? { resourcePolicy: (arn: string) => (Object.hasOwn(options.resourcePolicies!, arn) ? options.resourcePolicies![arn] : undefined) } : {}),
        ...(options.onDenied ? { onDenied: options.onDenied } : {}),
      });
      servers.push(server);
      urls[service] = server.url;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { urls, close };
}
