import { Report } from './report';

/**
 * A bench file run by itself (`npx tsx bench/<file>.ts [messages]`, after npm run build): measures into a
 * report of its own, prints it and exits (the local stack's timers would keep the process alive).
 */
export function runAlone(measure: (report: Report, messages: number) => Promise<void>, defaultMessages: number): void {
  void (async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const report = new Report();
    await measure(report, Number(process.argv[2] ?? defaultMessages));
    console.log(report.render());
    process.exit(0);
  })();
}
