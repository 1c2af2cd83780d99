import type { Counts } from './queries';

export type Language = 'en' | 'fr';

/** French when the locale says so (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them). */
export function detectLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^fr/i.test(locale) ? 'fr' : 'en';
}

const en = {
  noToken: 'No token: pass --token or set LMS_IMPORT_TOKEN',
  tokenRefused: (url: string) => `The token was refused by ${url} (UNAUTHENTICATED): check --token or LMS_IMPORT_TOKEN`,
  forbidden: (message: string) => `This token's role may not do that: ${message} (FORBIDDEN)`,
  badUrl: (url: string) => `Not an http(s) URL: ${url} (--url or LMS_IMPORT_URL)`,
  unreachable: (url: string, reason: string) => `Cannot reach the service at ${url}: ${reason}`,
  timedOut: (url: string, seconds: number) => `No answer from ${url} within ${seconds} s (--timeout)`,
  badResponse: (url: string, status: number) => `Unexpected answer from ${url} (HTTP ${status}): is it the lms-import service?`,
  connectionLost: (url: string, jobId: string) =>
    `Lost the connection to ${url}; job ${jobId} may still be running: lms-import job ${jobId} --wait`,
  subscriptionEnded: (jobId: string, status: string) =>
    `The server stopped sending progress while job ${jobId} was ${status}: lms-import job ${jobId} --wait`,
  fileUnreadable: (file: string, reason: string) => `Cannot read ${file}: ${reason}`,
  notAFile: (file: string) => `${file} is not a file`,
  uploaded: (name: string, encoding: string, delimiter: string, header: boolean) =>
    `Uploaded ${name}: ${encoding}, separator ${JSON.stringify(delimiter)}, ${header ? 'with a header' : 'no header'}`,
  problem: (severity: string): string => (severity === 'ERROR' ? 'error' : 'warning'),
  line: (line: number) => `line ${line}`,
  refused: 'The file cannot be imported',
  duplicateHint: 'add --allow-duplicate to import it again',
  queued: (id: string, dryRun: boolean) => `${dryRun ? 'Dry run' : 'Import'} ${id} queued`,
  follow: (id: string) => `Follow it: lms-import job ${id} --wait`,
  progress: (id: string, status: string, percent: number, processed: number, rejected: number) =>
    `Job ${id}: ${status} ${percent}% (${processed} records processed, ${rejected} rejected)`,
  bar: (processed: number, rejected: number) => `${processed} records, ${rejected} rejected`,
  interrupted: (id: string) =>
    `Stopped waiting. Job ${id} keeps running on the server: follow it with lms-import job ${id} --wait, cancel it with lms-import cancel ${id}`,
  succeeded: (id: string, dryRun: boolean) => `${dryRun ? 'Dry run' : 'Import'} ${id} succeeded`,
  withRejects: (id: string, rejected: number) =>
    `${rejected} record(s) rejected: lms-import rejects ${id} > rejects.csv (why: lms-import log ${id})`,
  failed: (id: string, failure: string | null) => `Import ${id} failed${failure ? `: ${failure}` : ''}`,
  cancelled: (id: string) => `Import ${id} was cancelled`,
  undone: (id: string) => `Import ${id} was undone (undoImport): what it wrote is gone`,
  notFound: (id: string) => `No import job with id ${id}`,
  cancelAsked: (id: string, status: string) => `Job ${id}: cancel requested, the job is ${status}; it stops at the end of its current batch`,
  cancelDone: (id: string) => `Job ${id} cancelled`,
  undoQueued: (id: string, of: string, dryRun: boolean) => `${dryRun ? 'Dry run of the undo' : 'Undo'} ${id} of import ${of} queued`,
  undoCounts: (deleted: number, restored: number, conflicts: number) => `${deleted} row(s) deleted, ${restored} given back their previous values, ${conflicts} conflict(s)`,
  undoSucceeded: (id: string, of: string, dryRun: boolean) => (dryRun ? `Dry run ${id}: import ${of} can be undone without a conflict` : `Undo ${id} succeeded: import ${of} is undone`),
  undoWithConflicts: (id: string, conflicts: number) => `${conflicts} conflict(s) left as they are (why: lms-import log ${id})`,
  undoFailed: (id: string, failure: string | null) => `Undo ${id} failed${failure ? `: ${failure}` : ''} (lms-import log ${id})`,
  alreadyFinished: (id: string, status: string) => `Job ${id} had already finished (${status}): nothing to cancel`,
  noJobs: 'No import jobs',
  page: (shown: number, total: number) => `${shown} of ${total} jobs`,
  nextPage: (cursor: string) => `next page: lms-import jobs --after ${cursor}`,
  unexpected: (message: string) => `Unexpected error: ${message}`,
  heading: { id: 'ID', adapter: 'ADAPTER', status: 'STATUS', outcome: 'OUTCOME', processed: 'PROCESSED', rejected: 'REJECTED', added: 'ADDED', updated: 'UPDATED', created: 'CREATED', file: 'FILE' },
  counts: {
    processed: 'Records processed',
    rejected: 'Records rejected',
    added: 'Added',
    updated: 'Updated',
    unchanged: 'Unchanged',
    errors: 'Errors',
    warnings: 'Warnings',
  } satisfies Record<keyof Counts, string>,
  details: {
    job: (id: string, dryRun: boolean) => `${dryRun ? 'Dry run' : 'Import'} ${id}`,
    adapter: 'Adapter',
    file: 'File',
    status: 'Status',
    outcome: 'Outcome',
    created: 'Created',
    started: 'Started',
    finished: 'Finished',
    createdBy: 'By',
    onExisting: 'Existing records',
    enroll: 'Enroll if needed',
    options: 'Options',
    failure: 'Failure',
    issues: (shown: number, total: number) => `Issues (${shown} of ${total}):`,
    yes: 'yes',
    no: 'no',
    header: 'header',
    noHeader: 'no header',
  },
};

export type Messages = typeof en;

const fr: Messages = {
  noToken: 'Aucun jeton : passez --token ou définissez LMS_IMPORT_TOKEN',
  tokenRefused: (url) => `Le jeton a été refusé par ${url} (UNAUTHENTICATED) : vérifiez --token ou LMS_IMPORT_TOKEN`,
  forbidden: (message) => `Le rôle de ce jeton ne le permet pas : ${message} (FORBIDDEN)`,
  badUrl: (url) => `Pas une URL http(s) : ${url} (--url ou LMS_IMPORT_URL)`,
  unreachable: (url, reason) => `Impossible de joindre le service à ${url} : ${reason}`,
  timedOut: (url, seconds) => `Pas de réponse de ${url} en ${seconds} s (--timeout)`,
  badResponse: (url, status) => `Réponse inattendue de ${url} (HTTP ${status}) : est-ce bien le service lms-import ?`,
  connectionLost: (url, jobId) =>
    `Connexion perdue avec ${url} ; la tâche ${jobId} tourne peut-être encore : lms-import job ${jobId} --wait`,
  subscriptionEnded: (jobId, status) =>
    `Le serveur a cessé d'envoyer la progression alors que la tâche ${jobId} était ${status} : lms-import job ${jobId} --wait`,
  fileUnreadable: (file, reason) => `Impossible de lire ${file} : ${reason}`,
  notAFile: (file) => `${file} n'est pas un fichier`,
  uploaded: (name, encoding, delimiter, header) =>
    `${name} envoyé : ${encoding}, séparateur ${JSON.stringify(delimiter)}, ${header ? 'avec entête' : 'sans entête'}`,
  problem: (severity) => (severity === 'ERROR' ? 'erreur' : 'avertissement'),
  line: (line) => `ligne ${line}`,
  refused: 'Le fichier ne peut pas être importé',
  duplicateHint: 'ajoutez --allow-duplicate pour l’importer à nouveau',
  queued: (id, dryRun) => `${dryRun ? 'Essai à blanc' : 'Import'} ${id} en file d'attente`,
  follow: (id) => `Pour le suivre : lms-import job ${id} --wait`,
  progress: (id, status, percent, processed, rejected) =>
    `Tâche ${id} : ${status} ${percent} % (${processed} enregistrements traités, ${rejected} rejetés)`,
  bar: (processed, rejected) => `${processed} enregistrements, ${rejected} rejetés`,
  interrupted: (id) =>
    `Attente interrompue. La tâche ${id} continue sur le serveur : suivez-la avec lms-import job ${id} --wait, annulez-la avec lms-import cancel ${id}`,
  succeeded: (id, dryRun) => `${dryRun ? 'Essai à blanc' : 'Import'} ${id} réussi`,
  withRejects: (id, rejected) =>
    `${rejected} enregistrement(s) rejeté(s) : lms-import rejects ${id} > rejets.csv (pourquoi : lms-import log ${id})`,
  failed: (id, failure) => `L'import ${id} a échoué${failure ? ` : ${failure}` : ''}`,
  cancelled: (id) => `L'import ${id} a été annulé`,
  undone: (id) => `L'import ${id} a été défait (undoImport) : ce qu'il avait écrit n'y est plus`,
  notFound: (id) => `Aucune tâche d'import ${id}`,
  cancelAsked: (id, status) => `Tâche ${id} : annulation demandée, la tâche est ${status} ; elle s'arrête à la fin de son lot en cours`,
  cancelDone: (id) => `Tâche ${id} annulée`,
  undoQueued: (id, of, dryRun) => `${dryRun ? "Essai à blanc de l'annulation" : 'Annulation'} ${id} de l'import ${of} en file d'attente`,
  undoCounts: (deleted, restored, conflicts) => `${deleted} ligne(s) supprimée(s), ${restored} remise(s) à leurs valeurs précédentes, ${conflicts} conflit(s)`,
  undoSucceeded: (id, of, dryRun) => (dryRun ? `Essai à blanc ${id} : l'import ${of} peut être annulé sans conflit` : `Annulation ${id} réussie : l'import ${of} est annulé`),
  undoWithConflicts: (id, conflicts) => `${conflicts} conflit(s) laissé(s) tel(s) quel(s) (pourquoi : lms-import log ${id})`,
  undoFailed: (id, failure) => `L'annulation ${id} a échoué${failure ? ` : ${failure}` : ''} (lms-import log ${id})`,
  alreadyFinished: (id, status) => `La tâche ${id} était déjà terminée (${status}) : rien à annuler`,
  noJobs: "Aucune tâche d'import",
  page: (shown, total) => `${shown} tâches sur ${total}`,
  nextPage: (cursor) => `page suivante : lms-import jobs --after ${cursor}`,
  unexpected: (message) => `Erreur inattendue : ${message}`,
  heading: { id: 'ID', adapter: 'ADAPTATEUR', status: 'STATUT', outcome: 'RÉSULTAT', processed: 'TRAITÉS', rejected: 'REJETÉS', added: 'AJOUTÉS', updated: 'MIS À JOUR', created: 'CRÉÉ', file: 'FICHIER' },
  counts: {
    processed: 'Enregistrements traités',
    rejected: 'Enregistrements rejetés',
    added: 'Ajoutés',
    updated: 'Mis à jour',
    unchanged: 'Inchangés',
    errors: 'Erreurs',
    warnings: 'Avertissements',
  },
  details: {
    job: (id, dryRun) => `${dryRun ? 'Essai à blanc' : 'Import'} ${id}`,
    adapter: 'Adaptateur',
    file: 'Fichier',
    status: 'Statut',
    outcome: 'Résultat',
    created: 'Créé',
    started: 'Démarré',
    finished: 'Terminé',
    createdBy: 'Par',
    onExisting: 'Enregistrements existants',
    enroll: 'Affecter si nécessaire',
    options: 'Options',
    failure: 'Échec',
    issues: (shown, total) => `Problèmes (${shown} sur ${total}) :`,
    yes: 'oui',
    no: 'non',
    header: 'entête',
    noHeader: 'sans entête',
  },
};

export function messages(language: Language): Messages {
  return language === 'fr' ? fr : en;
}
