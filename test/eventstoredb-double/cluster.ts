import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { UUID } from '@eventstore/db-client/generated/shared_pb';
import { EventStoreDbDouble } from './eventstoredb-double';

/**
 * Three doubles as a three-node cluster behind `esdb+discover`: each answers gossip with the
 * members and their states, one is the leader, the others answer NotLeader to anything that
 * requires the leader. They share one log (replication is not modelled). Leadership can move
 * (`moveLeadership`) or the leader can die (`failOver`: stopped abruptly, another elected).
 */
export class EventStoreDbCluster {
  readonly nodes: EventStoreDbDouble[];
  private leader = 0;
  private readonly ids = ['0b1e6d8e-0000-4000-8000-000000000001', '0b1e6d8e-0000-4000-8000-000000000002', '0b1e6d8e-0000-4000-8000-000000000003'];

  constructor() {
    const cluster = {
      gossip: () => this.gossip(),
      leaderIfNot: (node: unknown) => (node === this.nodes[this.leader] ? undefined : { host: '127.0.0.1', port: this.nodes[this.leader].port }),
    };
    const first = new EventStoreDbDouble({ cluster });
    this.nodes = [first, new EventStoreDbDouble({ cluster, shareLogWith: first }), new EventStoreDbDouble({ cluster, shareLogWith: first })];
  }

  async start(): Promise<void> {
    for (const node of this.nodes) await node.start();
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node.stop();
  }

  /**
   * Gossip seeds: the client asks each listed node's gossip in turn until one answers. This is the
   * form that survives the loss of any one node.
   */
  get connectionString(): string {
    return `esdb://${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}?tls=false&nodePreference=leader&discoveryInterval=20`;
  }

  /**
   * DNS discovery: `esdb+discover://` takes ONE name, which DNS resolves to the nodes; given
   * several hosts the client uses only the first ("More than one address provided for discovery.
   * Using first", @eventstore/db-client `Client/index.js`). Here the first node stands for the name.
   */
  get discoverConnectionString(): string {
    return `esdb+discover://127.0.0.1:${this.nodes[0].port}?tls=false&nodePreference=leader&discoveryInterval=20`;
  }

  get leaderNode(): EventStoreDbDouble {
    return this.nodes[this.leader];
  }

  /** An election without a crash: the old leader stays up as a follower. */
  moveLeadership(to: number): void {
    this.leader = to;
  }

  /** The leader dies (every call to it dropped) and another node is elected. */
  async failOver(to: number): Promise<void> {
    await this.nodes[this.leader].stop();
    this.leader = to;
  }

  /** Members as gossip lists them: the leader, followers, and a dead node as not alive. */
  private gossip(): ClusterInfo {
    const members = this.nodes.map((node, index) =>
      new MemberInfo()
        .setInstanceId(new UUID().setString(this.ids[index]))
        .setTimeStamp(String(Date.now()))
        .setState(index === this.leader ? MemberInfo.VNodeState.LEADER : MemberInfo.VNodeState.FOLLOWER)
        .setIsAlive(node.running)
        .setHttpEndPoint(new EndPoint().setAddress('127.0.0.1').setPort(node.port)),
    );
    return new ClusterInfo().setMembersList(members);
  }
}
