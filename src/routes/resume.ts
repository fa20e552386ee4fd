import { createRoute, z } from '@hono/zod-openapi';
import { readResumeFile } from '../tailor/resume-file.js';
import { MAX_RESUME_BYTES, ResumeUpload } from '../tailor/schema.js';
import { createRouter, errors, json } from './common.js';

/** A résumé file read into text, for the candidate to check and edit before a tailored loop. */

export const RESUME_PATH = '/api/resume';

const ResumeFile = z
  .object({
    file: z.instanceof(File, { message: 'must be the résumé, sent as a file' }).openapi({
      type: 'string',
      format: 'binary',
      description: `The résumé: PDF or DOCX (or plain text), at most ${MAX_RESUME_BYTES / 1024 / 1024} MB`,
    }),
  })
  .openapi('ResumeFile');

export const resumeRoutes = createRouter().openapi(
  createRoute({
    operationId: 'readResume',
    method: 'post',
    path: '/resume',
    tags: ['sessions'],
    summary: 'Read a résumé file (PDF or DOCX) into text',
    description:
      "Answers the text read from the file, to show in the résumé box, check and edit, then send as `resume` with POST /api/sessions. Nothing is stored. The type is read from the file's bytes, not its name.",
    request: { body: { content: { 'multipart/form-data': { schema: ResumeFile } }, required: true } },
    responses: {
      200: json(ResumeUpload, "The résumé's text, and the projects and roles the offline reading finds in it"),
      ...errors(
        [400, 'No file, or an empty one'],
        403,
        [413, `The file is larger than ${MAX_RESUME_BYTES / 1024 / 1024} MB`],
        [415, 'Not multipart/form-data, or the file is not a PDF, a DOCX or text'],
        [422, 'The file cannot be read: damaged, protected by a password, or without text (a scanned image)'],
        500,
      ),
    },
  }),
  async (c) => {
    const { file } = c.req.valid('form');
    return c.json(await readResumeFile(new Uint8Array(await file.arrayBuffer())), 200);
  },
);
