import { Construct } from 'constructs';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcIpv4CidrBlockAssociation } from '@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association';
import type { Cluster } from '../../config';

/** Props for {@link VpcNetwork}. */
export interface VpcNetworkProps {
  /** The cluster the VPC serves: name (tags), region, CIDRs, zones, NAT and endpoint settings. */
  readonly cluster: Cluster;
}

/**
 * The cluster VPC: public subnets (load balancers, NAT), private subnets in the primary CIDR
 * (VPC endpoints, internal load balancers) and node subnets in the secondary CIDR, where nodes,
 * pods and the EKS control-plane ENIs live. Node subnets carry the discovery tag Karpenter selects
 * on; private subnets the internal-ELB role tag.
 */
export class VpcNetwork extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly nodeSubnets: Subnet[];

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const { cluster } = props;
    const { vpc: net } = cluster;
    const name = cluster.name;

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: net.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });
    const secondary = net.secondaryCidrs.map(
      (cidr, i) =>
        new VpcIpv4CidrBlockAssociation(this, `secondary-cidr-${i}`, { vpcId: this.vpc.id, cidrBlock: cidr }),
    );

    const igw = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: { Name: name } });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      tags: { Name: `${name}-public` },
    });
    new Route(this, 'public-default-route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    this.publicSubnets = net.azs.map((az, i) => {
      const subnet = new Subnet(this, `public-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: net.publicSubnets[i] ?? '',
        tags: { Name: `${name}-public-${az}`, 'kubernetes.io/role/elb': '1' },
      });
      new RouteTableAssociation(this, `public-${az}-routes`, {
        subnetId: subnet.id,
        routeTableId: publicRoutes.id,
      });
      return subnet;
    });

    const natZones = net.natGateways === 'single' ? net.azs.slice(0, 1) : net.azs;
    const nats = natZones.map((az, i) => {
      const eip = new Eip(this, `nat-${az}-ip`, { domain: 'vpc', tags: { Name: `${name}-nat-${az}` } });
      return new NatGateway(this, `nat-${az}`, {
        allocationId: eip.id,
        subnetId: this.publicSubnets[i]?.id ?? '',
        tags: { Name: `${name}-nat-${az}` },
        dependsOn: [igw],
      });
    });

    // Internal load balancers go to the routable private subnets; Karpenter launches nodes only in
    // the secondary-CIDR node subnets (the discovery tag), where pod IPs are plentiful.
    const roleTags = {
      private: { 'kubernetes.io/role/internal-elb': '1' },
      node: { 'karpenter.sh/discovery': name },
    };
    const privateSubnet = (kind: 'private' | 'node', az: string, i: number, cidr: string): Subnet => {
      const subnet = new Subnet(this, `${kind}-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: cidr,
        tags: { Name: `${name}-${kind}-${az}`, ...roleTags[kind] },
        dependsOn: kind === 'node' ? secondary : [],
      });
      const nat = nats[net.natGateways === 'single' ? 0 : i];
      const routes = new RouteTable(this, `${kind}-${az}-routes`, {
        vpcId: this.vpc.id,
        tags: { Name: `${name}-${kind}-${az}` },
      });
      new Route(this, `${kind}-${az}-default-route`, {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nat?.id ?? '',
      });
      new RouteTableAssociation(this, `${kind}-${az}-association`, {
        subnetId: subnet.id,
        routeTableId: routes.id,
      });
      return subnet;
    };
    this.privateSubnets = net.azs.map((az, i) =>
      privateSubnet('private', az, i, net.privateSubnets[i] ?? ''),
    );
    this.nodeSubnets = net.azs.map((az, i) => privateSubnet('node', az, i, net.nodeSubnets[i] ?? ''));

    if (net.endpoints.s3Gateway) this.addS3Gateway(cluster);
    if (net.endpoints.enabled) this.addInterfaceEndpoints(cluster);
  }

  /**
   * The S3 gateway endpoint on every private and node route table: free, and S3 traffic from
   * nodes and pods no longer pays NAT processing or depends on the NAT's zone.
   */
  private addS3Gateway(cluster: Cluster): void {
    const { name, region } = cluster;
    const routeTableIds = this.node.children
      .filter(
        (child): child is RouteTable => child instanceof RouteTable && child.node.id !== 'public-routes',
      )
      .map((table) => table.id);
    new VpcEndpoint(this, 'endpoint-s3', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds,
      tags: { Name: `${name}-s3` },
    });
  }

  /** Interface endpoints in the private subnets, reachable over HTTPS from the VPC's CIDRs. */
  private addInterfaceEndpoints(cluster: Cluster): void {
    const { name, region, vpc: net } = cluster;
    if (net.endpoints.interface.length === 0) return;
    const sg = new SecurityGroup(this, 'endpoints-security-group', {
      name: `${name}-vpc-endpoints`,
      description: 'HTTPS from the VPC to the interface endpoints',
      vpcId: this.vpc.id,
      ingress: [
        {
          description: 'HTTPS from the VPC and its secondary CIDRs',
          fromPort: 443,
          toPort: 443,
          protocol: 'tcp',
          cidrBlocks: [net.cidr, ...net.secondaryCidrs],
        },
      ],
      tags: { Name: `${name}-vpc-endpoints` },
    });
    for (const service of net.endpoints.interface) {
      new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.privateSubnets.map((s) => s.id),
        securityGroupIds: [sg.id],
        tags: { Name: `${name}-${service}` },
      });
    }
  }
}
