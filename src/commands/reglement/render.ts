import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base.js';
import { ExitCode } from '../../core/errors.js';
import { documentFlags } from '../../cli/documents.js';
import { renderFinding } from '../../cli/views/compliance.js';
import { renderRendered } from '../../cli/views/documents.js';
import { FORMATS, REGLEMENT_DOCUMENTS, renderDocuments, type Format, type Lang, type RenderResult } from '../../core/documents/index.js';

export default class ReglementRender extends BaseCommand<typeof ReglementRender> {
  static override summary = 'Render the camera regulation, the protocol, the sign text and the letter to pupils and parents.';

  static override description = `From the school's settings and camera inventory, in Dutch (and English), as Markdown, HTML, Word (DOCX) and PDF. Each document carries its version and a hash of its inputs; the register keeps every version (\`toezicht reglement history\`, \`toezicht reglement diff\`). Rendering the same inputs again gives the same version.

Compliance findings are printed. A concept is written even with findings, and the run exits 1 when one of them is an error. A document whose status is vastgesteld (documents.<name>.status) is refused (exit 2, nothing written) while the compliance check finds an error or its text still has a "[nog in te vullen]" gap; with --strict any finding stops the rendering (exit 2). A hidden camera never appears in these documents: it goes into a confidential annex (0600) made with the protocol.

Exit codes: 0 written, no error findings · 1 written as a concept, with error findings · 2 refused (vastgesteld with errors or gaps, --strict with findings, bad config) · 3 register busy. Sections that do not apply to the school are left out: coaching, online lessons, livestreams and staff photos appear in the protocol only when the school has them (cameras of that category, or privacy.practices).`;

  static override examples = [
    { description: 'Everything, in Dutch, in every format', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The regulation as Word and PDF, Dutch and English', command: '<%= config.bin %> <%= command.id %> --document reglement --format docx --format pdf --lang nl --lang en' },
    { description: 'With the school\'s own wording and letterhead', command: '<%= config.bin %> <%= command.id %> --templates ./sjablonen --out ./documenten' },
    { description: 'Only when every rule is met (for the adopted version)', command: '<%= config.bin %> <%= command.id %> --strict' },
  ];

  static override flags = {
    document: Flags.string({ summary: 'Which document (repeatable; default: all four).', options: [...REGLEMENT_DOCUMENTS], multiple: true }),
    ...documentFlags,
  };

  public async run(): Promise<RenderResult> {
    const { config } = await this.readConfig();
    const register = this.useRegister(config.register);
    const result = await renderDocuments(config, register, {
      documents: (this.flags.document ?? [...REGLEMENT_DOCUMENTS]) as (typeof REGLEMENT_DOCUMENTS)[number][],
      formats: (this.flags.format ?? [...FORMATS]) as Format[],
      langs: (this.flags.lang ?? ['nl']) as Lang[],
      outDir: path.resolve(this.flags.out ?? path.join(config.dir, 'documents')),
      ...(this.flags.templates ? { templatesDir: this.flags.templates } : {}),
      strict: this.flags.strict,
    });
    for (const f of result.compliance.findings) this.note(renderFinding(f));
    this.log(renderRendered(result.documents));
    // A concept with an error finding is written, but the run is not clean.
    if (result.compliance.errors) this.setExitCode(ExitCode.failure);
    return result;
  }
}
