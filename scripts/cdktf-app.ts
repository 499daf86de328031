/**
 * Entry point for the CDKTF CLI (`cdktf synth`, `cdktf diff` via cdktf.json): the same stacks as
 * `npm run synth`, written to cdktf.out/ by CDKTF itself. The committed output is dist/.
 */
import { App } from '../cdktf/framework';
import { environmentStacks } from '../cdktf/app';
import { defaultPlatform, loadPlatform } from '../config';

const app = new App();
for (const env of loadPlatform(defaultPlatform).environments) environmentStacks(app, env);
app.synth();
