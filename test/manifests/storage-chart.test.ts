import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { apps, get, objectsOf, SAMPLE_OUTPUTS } from '../helpers/manifests';
import { environment } from '../helpers/terraform';
import { seedEnvironmentInput } from '../fixtures';
import { StorageChart } from '../../manifests/charts/storage-chart';

const withFsx = environment({
  environments: [
    {
      ...seedEnvironmentInput(),
      storage: { fsx: { static: { enabled: true, storageCapacityGiB: 2400 }, dynamic: { enabled: true } } },
      addons: { ...seedEnvironmentInput().addons, fsxCsiDriver: true },
    },
  ],
});

describe('storage chart', () => {
  const storage = objectsOf(apps(environment()).get('storage'));

  it('matches the snapshot', () => {
    expect([...storage.values()]).toMatchSnapshot();
  });

  it('makes gp3 (encrypted, xfs, WaitForFirstConsumer, expandable) the only default class', () => {
    expect(get(storage, 'StorageClass/gp3')).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', fsType: 'xfs', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(get(storage, 'StorageClass/gp2').metadata.annotations).toEqual({
      'storageclass.kubernetes.io/is-default-class': 'false',
      'argocd.argoproj.io/sync-options': 'Prune=false',
    });
    const defaults = [...storage.values()].filter(
      (o) =>
        (o.metadata.annotations as Record<string, string> | undefined)?.[
          'storageclass.kubernetes.io/is-default-class'
        ] === 'true',
    );
    expect(defaults.map((o) => o.metadata.name)).toEqual(['gp3']);
  });

  it('fails with one sentence when FSx needs Terraform outputs that are not recorded', () => {
    // The model leaves FSx out of the cluster side until its outputs exist; the chart still
    // refuses to render it without them when built on its own.
    const chart = () => new StorageChart(new App(), 'storage', { env: withFsx, outputs: {} });
    expect(chart).toThrow(ConfigError);
    expect(chart).toThrow(
      'Invalid config at storage.fsx.dynamic: true needs fsxSubnetId, fsxSecurityGroupId from Terraform: apply dist/default/terraform/base, then run `npm run outputs -- --env default` to record them in config/outputs/default.json.',
    );
  });

  it('renders the FSx dynamic class and a static PV per team from the outputs contract', () => {
    const fsx = objectsOf(apps(withFsx, SAMPLE_OUTPUTS).get('storage'));
    expect(get(fsx, 'StorageClass/fsx')).toMatchObject({
      provisioner: 'fsx.csi.aws.com',
      parameters: { subnetId: 'subnet-0123456789abcdef0', securityGroupIds: 'sg-0123456789abcdef0' },
    });
    expect(get(fsx, 'PersistentVolume/fsx-static-emr-data-team-b').spec).toEqual({
      accessModes: ['ReadWriteMany'],
      capacity: { storage: '2400Gi' },
      claimRef: { name: 'fsx-static-pvc', namespace: 'emr-data-team-b' },
      csi: {
        driver: 'fsx.csi.aws.com',
        volumeHandle: 'fs-0123456789abcdef0',
        volumeAttributes: {
          dnsname: 'fs-0123456789abcdef0.fsx.us-west-2.amazonaws.com',
          mountname: 'abcdefgh',
        },
      },
      mountOptions: ['flock'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      volumeMode: 'Filesystem',
    });
    const team = objectsOf(apps(withFsx, SAMPLE_OUTPUTS).get('team-emr-data-team-b'));
    expect(get(team, 'PersistentVolumeClaim/fsx-static-pvc').spec).toMatchObject({
      storageClassName: '',
      volumeName: 'fsx-static-emr-data-team-b',
      accessModes: ['ReadWriteMany'],
    });
    expect(get(team, 'PersistentVolumeClaim/fsx-dynamic-pvc').spec).toMatchObject({
      storageClassName: 'fsx',
    });
    expect(get(team, 'NetworkPolicy/allow-fsx-lustre')).toBeDefined();
  });
});
