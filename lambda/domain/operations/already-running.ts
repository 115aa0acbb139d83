/**
 * SQS's own words for a second active task on a queue, so callers handle both kinds alike. A module
 * of its own: a native start refuses with it without loading the selective start's code.
 */
export const ALREADY_RUNNING = 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.';
