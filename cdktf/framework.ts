/**
 * The only module that imports the CDKTF core. CDKTF was archived upstream (Dec 2025); its
 * community continuation is CDK Terrain (`cdktn`), a drop-in rename. Switching means changing
 * this file (and the provider package names), nothing else.
 */
export {
  App,
  Fn,
  LocalBackend,
  S3Backend,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  Token,
  type ITerraformDependable,
  type TerraformElement,
} from 'cdktf';
