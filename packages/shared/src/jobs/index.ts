export { type JobIdentity, type JobProgress, JobRun, type JobRunOptions, openJob, startJob } from './job-run.js';
