import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Template } from 'aws-cdk-lib/assertions';

import { routeRequest } from '../../lambda/adapters/http/route-request';
import { ENV } from '../../lambda/config/environment';
import { SqsError } from '../../lambda/domain/sqs-error';
import { ROOT, synthStack } from '../support/example-stack';

/** The docs a newcomer reads, held to the code and the synthesized template so they cannot drift. */
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

describe('the docs match the code and the template', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack());
  });

  /** Every variable the stack sets on a function from the config (the service name is fixed, not configuration). */
  function configuredVariables(): string[] {
    const names = new Set<string>();
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      for (const name of Object.keys(fn.Properties.Environment?.Variables ?? {})) names.add(name);
    }
    const known = Object.values(ENV) as string[];
    return [...names].filter((name) => known.includes(name) && name !== ENV.serviceName).sort();
  }

  it("names every variable the stack sets in docs/configuration.md's table of the functions' environment, and in its text", () => {
    // Prepare: the table moved from the README to its own section of docs/configuration.md
    const configuration = read('docs/configuration.md');
    const section = configuration.slice(configuration.indexOf("## The functions' environment"));
    const readmeTable = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);

    // Act
    const variables = configuredVariables();

    // Assess
    expect(variables.length).toBeGreaterThan(5);
    expect(variables.filter((name) => !readmeTable.includes(name))).toEqual([]);
    expect(variables.filter((name) => !configuration.includes(`\`${name}\``))).toEqual([]);
    // and the table names no variable the functions do not read
    expect(readmeTable.filter((name) => !(Object.values(ENV) as string[]).includes(name!))).toEqual([]);
  });

  it("uses the template's stage name in every example API URL", () => {
    // Prepare
    const stages = Object.values(template.findResources('AWS::ApiGateway::Stage')).map((stage) => stage.Properties.StageName as string);

    // Act
    const examples = DOCS.flatMap((path) => [...read(path).matchAll(/execute-api\.[a-z0-9-]+\.amazonaws\.com\/([\w-]+)/g)].map((match) => ({ path, stage: match[1] })));

    // Assess
    expect(stages).toHaveLength(1);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.filter((example) => example.stage !== stages[0])).toEqual([]);
  });

  it('documents in docs/api.md exactly the routes the router serves', () => {
    // Prepare
    const api = read('docs/api.md');
    const documented = [...api.matchAll(/`(GET|POST) (\/[^`\s]*)`/g)].map((match) => ({ method: match[1]!, path: match[2]! }));
    const route = (method: string, path: string) => {
      const concrete = path.replace('{taskId}', 'task-1').replace('<Action>', 'ListMessageMoveTasks');
      try {
        routeRequest({ method, path: concrete, headers: { 'x-amz-target': 'AmazonSQS.ListMessageMoveTasks' }, query: {}, body: '{}', requestId: 'r' });
        return 'routed';
      } catch (error) {
        return error instanceof SqsError && error.code === 'InvalidAction' ? 'no route' : 'routed';
      }
    };
    let served: string[] = [];
    try {
      routeRequest({ method: 'DELETE', path: '/nothing', headers: {}, query: {}, body: '', requestId: 'r' });
    } catch (error) {
      // the router's own list of what it serves, as its refusal tells a caller
      served = [...(error as Error).message.matchAll(/(GET|POST) (\/[^\s,)]*)/g)].map((match) => `${match[1]} ${match[2]}`);
    }

    // Act
    const unrouted = documented.filter(({ method, path }) => route(method, path) === 'no route');
    const undocumented = served.filter((entry) => !api.includes(`\`${entry}\``) && !api.includes(`\`${entry} `));

    // Assess
    expect(documented.length).toBeGreaterThan(4);
    expect(unrouted).toEqual([]);
    expect(served.length).toBeGreaterThan(3);
    expect(undocumented).toEqual([]);
  });
});
