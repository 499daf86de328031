/**
 * Entry point for the CDKTF CLI (`cdktf synth`, `cdktf diff` via cdktf.json): the same stacks as
 * `npm run synth`, written to cdktf.out/ by CDKTF itself. The committed output is dist/.
 */
import { App } from '../cdktf/framework';
import { environmentStacks } from '../cdktf/app';
import { LOCAL_STATE_ROOT_CONTEXT } from '../cdktf/stacks/platform-stack';
import { defaultPlatform, loadPlatform } from '../config';
import { loadModel } from '../pipeline/load-model';

// cdktf.out/stacks/<stack>/ is three levels below the project root: reach the same local state
// (terraform-state/<env>/<stack>.tfstate) as dist/<env>/terraform/<stack>/ does.
const app = new App({ context: { [LOCAL_STATE_ROOT_CONTEXT]: '../../..' } });
for (const env of loadModel(loadPlatform(defaultPlatform)).environments) environmentStacks(app, env);
app.synth();
