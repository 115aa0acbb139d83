// dashboard-dlq-actions.js runs in the browser; the handler imports its source as text.
declare const source: string;
export default source;
