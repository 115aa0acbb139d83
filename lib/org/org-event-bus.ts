import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface OrgEventBusProps {
  readonly busName: string;
  readonly organizationId: string;
}

/**
 * The organization's bus: `events:PutEvents` from principals of the organization (each account's
 * forwarding role), and an explicit deny for everyone else, whatever their own policies say.
 */
export class OrgEventBus extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: OrgEventBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName, description: "redrive-controller org view: the organization's accounts' controller events" });
    const putEvents = { actions: ['events:PutEvents'], principals: [new iam.AnyPrincipal()], resources: [this.bus.eventBusArn] };
    this.bus.addToResourcePolicy(new iam.PolicyStatement({ sid: 'AllowOrganization', ...putEvents, conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } } }));
    this.bus.addToResourcePolicy(new iam.PolicyStatement({ sid: 'DenyOutsideOrganization', effect: iam.Effect.DENY, ...putEvents, conditions: { StringNotEquals: { 'aws:PrincipalOrgID': props.organizationId } } }));
  }
}
