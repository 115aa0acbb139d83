import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface CancelEventBusProps {
  /** @default 'redrive-controller' */
  readonly busName: string;
  /** IAM role or user ARNs (a trailing `*` allowed) that may put events on the bus */
  readonly allowedSenders: readonly string[];
  /** @default - no organization-wide access */
  readonly organizationId?: string;
}

/**
 * The controller's own bus for cancel events. Its policy admits `events:PutEvents` only from the
 * listed principals (or the organization) and denies everyone else explicitly, whatever their
 * identity policies say. A policy on the account's default bus would restrict every other
 * application's events too: hence a bus of our own.
 */
export class CancelEventBus extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: CancelEventBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName, description: 'redrive-controller: cancel events from the configured senders only' });
    const putEvents = { actions: ['events:PutEvents'], principals: [new iam.AnyPrincipal()], resources: [this.bus.eventBusArn] };
    const denyUnless: Record<string, Record<string, unknown>> = {};
    if (props.allowedSenders.length > 0) {
      this.bus.addToResourcePolicy(new iam.PolicyStatement({ sid: 'AllowConfiguredSenders', ...putEvents, conditions: { ArnLike: { 'aws:PrincipalArn': [...props.allowedSenders] } } }));
      denyUnless.ArnNotLike = { 'aws:PrincipalArn': [...props.allowedSenders] };
    }
    if (props.organizationId) {
      this.bus.addToResourcePolicy(new iam.PolicyStatement({ sid: 'AllowOrganization', ...putEvents, conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } } }));
      denyUnless.StringNotEquals = { 'aws:PrincipalOrgID': props.organizationId };
    }
    // conditions in one statement are ANDed: denied unless matching one of the allowances; with none
    // listed, nobody may put cancel events (alarms still reach the function from the default bus)
    this.bus.addToResourcePolicy(new iam.PolicyStatement({ sid: 'DenyEveryoneElse', effect: iam.Effect.DENY, ...putEvents, ...(Object.keys(denyUnless).length > 0 ? { conditions: denyUnless } : {}) }));
  }
}
