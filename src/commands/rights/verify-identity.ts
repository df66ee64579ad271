import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { renderIdentity, withRequestJson } from '../../cli/views/rights.js';
import { verifyIdentity } from '../../core/rights/index.js';

export default class RightsVerifyIdentity extends BaseCommand<typeof RightsVerifyIdentity> {
  static override summary = "Record how the requester's identity (and a parent's authority) was checked.";

  static override description = `Proportionately (AVG art. 12(6)): showing an identity document in person is enough, and toezicht stores no copy of one, only how the check was done. For a parent or guardian, say how the parental authority (gezag) was checked too. A request is carried out (rights fulfil) only after this step.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> R-2026-0001 --method "Paspoort getoond aan de balie (niet gekopieerd); gezag gecontroleerd in de leerlingenadministratie"',
  ];

  static override args = { id: Args.string({ description: 'Request id.', required: true }) };

  static override flags = {
    method: Flags.string({ summary: 'How the identity was checked (no copy of an ID is kept).', required: true }),
  };

  public async run(): Promise<unknown> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const result = await verifyIdentity(register, this.args.id, this.flags.method);
    this.log(renderIdentity(result));
    return withRequestJson(result);
  }
}
