import { measureAwsCalls } from './aws-calls';
import { Report } from './report';
(async () => { const r = new Report(); await measureAwsCalls(r); console.log(r.render()); })();
