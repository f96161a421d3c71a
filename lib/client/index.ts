/**
 * The gateway SDK: a typed HTTP client built from the API's declarations, and the actions a patient, a provider or an
 * auditor takes through it. Named re-exports (no wildcard), so what the SDK offers is listed here.
 */
export {
  GatewayClient,
  type WalletSigner,
  type ServedDeployment,
  type VaultRecord,
  type GrantView,
  type ProviderView,
} from "./gatewayClient";
export type {
  AccessRequestView,
  AccountView,
  DisclosureView,
  LogVerificationView,
  AuditAlert,
  OperationInput,
  OperationOutput,
} from "./gatewayClient";
export { GatewayError, ClientError, hasCode, type ClientErrorCode } from "./errors";
export { ChainReader } from "./chainReader";
export { type ActorContext, ledgerContract, sendLedgerTransaction } from "./actorContext";
export { connectActor, type ConnectOptions } from "./connect";
export { signAction, SIGNATURE_LIFETIME_SECONDS, type ActionFields, type SignedAction } from "./transactions";
export { publishKeys, rotateKeys, patientKeyDirectory } from "./keyActions";
export {
  addOwnRecord,
  addRecordForPatient,
  readRecord,
  grantBundle,
  checkRecord,
  type AddRecordStage,
  type AddedRecord,
} from "./recordActions";
export { grantAccess, revokeAccess, revokeAll, issueKeyBundle, type GrantTerms } from "./consentActions";
export { requestAccess, approveRequest, denyRequest } from "./requestActions";
export { appointGuardian, removeGuardian, guardedPatients, revokeForPatient, revokeAllForPatient } from "./guardianActions";
export { readEventStream, parseEventStream, type LiveEvent } from "./liveEvents";
export {
  publishEmergencySummary,
  disableEmergencyAccess,
  breakGlass,
  readEmergencySummary,
  readEmergencyPolicy,
  type EmergencyPolicyView,
} from "./emergencyActions";
export {
  reviewPrescription,
  prescribe,
  previewPharmacyRouting,
  routeToPharmacy,
  routedPrescriptions,
  dispense,
  prescriptionStatus,
  type PrescriptionDraft,
  type PrescriptionReview,
  type WrittenPrescription,
  type ReplacedGrant,
  type PharmacyRoutingChange,
  type PharmacyRouting,
  type PrescriptionStatus,
  type RoutedPrescription,
  type WrittenDispense,
} from "./prescribingActions";
