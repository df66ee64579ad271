// Data-subject requests on footage, from receipt to answer (AVG arts. 12, 15–18, 21; LEGAL checklist C): the request
// with its deadline and preservation hold, identity, extension, fulfilment, the letters, the list and the year report.
export { registerRequest, missingRequestFields, checkRequestAnswer, checkRequestInput, receivedDay, REQUEST_FLAGS, type RightsRequestInput, type RequestField, type RequestResult, type FootageFound } from './intake.js';
export { dueDate, extendedDueDate, effectiveDue, daysLeft, urgency, answeredOnTime, MAX_EXTENSION_MONTHS, type Urgency } from './deadline.js';
export { verifyIdentity, extendRequest, type IdentityResult, type ExtendResult } from './steps.js';
export { fulfilRequest, previewFulfilment, DECISIONS, type FulfilPreview, type Decision, type FulfilInput, type FulfilOptions, type FulfilResult, type FulfilAction } from './fulfil.js';
export { closeRequest, type CloseResult } from './close.js';
export { listRequests, showRequest, yearReport, stateLabel, type ListedRequest, type RequestListing, type RequestDetails, type YearReport, type Milestone } from './list.js';
export { LETTER_KINDS, LETTER_FORMATS, requestFolder, writeRightsLetter, letterDigest, type LetterKind, type LetterOptions, type WrittenLetter } from './letters.js';
export { subjectRedactionRequest, recordedReview, type SubjectRedaction, type RecordedReview } from './redaction.js';
