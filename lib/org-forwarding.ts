import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { orgForwardPattern } from '../lambda/config/event-patterns';

export interface OrgForwardingProps {
  /** the controller's outbound bus (config eventBusName), where only its functions may put events */
  readonly sourceBus: events.IEventBus;
  /** the org stack's bus, in the tooling account */
  readonly orgBusArn: string;
  /** this account: only its own controller's events leave it */
  readonly account: string;
  /** where an event the org bus did not take is parked (a wrong busArn, a policy that refuses), alarmed */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * The account side of the org view: a rule that hands the controller's outgoing events (task
 * transitions, the inventory's changes, recovery states) to the org bus, a cross-account event bus target with a role
 * allowed `events:PutEvents` on that one bus only. The org bus's policy decides whether it admits them.
 */
export class OrgForwarding extends Construct {
  readonly rule: events.Rule;
  readonly role: iam.Role;
  readonly orgBusArn: string;

  constructor(scope: Construct, id: string, props: OrgForwardingProps) {
    super(scope, id);
    this.orgBusArn = props.orgBusArn;
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com'), description: 'redrive-controller: forwards its events to the org bus' });
    this.role.addToPolicy(new iam.PolicyStatement({ sid: 'PutOnOrgBus', actions: ['events:PutEvents'], resources: [props.orgBusArn] }));
    const pattern = orgForwardPattern({ account: props.account });
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.sourceBus,
      description: 'redrive-controller: task, inventory and recovery events to the organization view',
      eventPattern: { source: [...pattern.source], account: [...pattern.account], detailType: [...pattern['detail-type']] },
      targets: [new targets.EventBus(events.EventBus.fromEventBusArn(this, 'OrgBus', props.orgBusArn), { role: this.role, deadLetterQueue: props.deadLetterQueue })],
    });
  }
}
