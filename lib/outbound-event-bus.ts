import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface OutboundEventBusProps {
  /** @default 'redrive-controller-events' (config `eventBusName`) */
  readonly busName: string;
  /** the controller's functions' roles: the only principals that may put events on the bus */
  readonly publishers: readonly iam.IRole[];
}

/**
 * The controller's own bus for the events it publishes (task transitions, the inventory's changes,
 * recovery states). On the account's default bus any principal allowed `events:PutEvents` could put
 * `source: redrive-controller` and be taken for the controller by every subscriber and by the org
 * view. This bus's policy denies PutEvents to every principal but the publishers' roles, whatever
 * their identity policies say (an explicit deny wins:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), so an
 * event on it with the controller's source comes from the controller's functions.
 */
export class OutboundEventBus extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: OutboundEventBusProps) {
    super(scope, id);
    if (props.publishers.length === 0) throw new Error('OutboundEventBus needs at least one publisher role: with none, nobody could publish the controller\'s events');
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName, description: "redrive-controller: the controller's own events, put by its functions only" });
    for (const role of props.publishers) this.bus.grantPutEventsTo(role);
    // aws:PrincipalArn of a Lambda function's session is its role's ARN (the session name dropped):
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyAllButControllerFunctions',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.publishers.map((role) => role.roleArn) } },
      }),
    );
  }
}
