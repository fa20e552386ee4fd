import { createRouter } from '../common.js';
import * as handlers from './sessions.handlers.js';
import * as routes from './sessions.routes.js';

export const sessionRoutes = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.defaults, handlers.defaults)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.exportSession, handlers.exportSession)
  .openapi(routes.answer, handlers.answer)
  .openapi(routes.transcribe, handlers.transcribe)
  .openapi(routes.discardRecording, handlers.discardRecording)
  .openapi(routes.recordingAudio, handlers.recordingAudio)
  .openapi(routes.retry, handlers.retry)
  .openapi(routes.skip, handlers.skip)
  .openapi(routes.finish, handlers.finish)
  .openapi(routes.remove, handlers.remove);
