-- The end of a task attempt, one call in the task's transaction: its task run closed with what happened and,
-- given the file's id, the file's registry status and reason written through the registry's own function
-- (`ops.set_file_status`, a file-registry migration). A null file id closes the task run only: the file was left
-- as it was (a stop of the service), or is no longer this task's to write (another runner took it).
-- A function so that the end is one statement wherever it is written: alone, or as the last statement of a load.
CREATE OR REPLACE FUNCTION "ops"."end_task_run"(
  p_task_run_id bigint,
  p_file_id integer,
  p_status text,
  p_reason text,
  p_detail text,
  p_script text,
  p_duration_ms integer,
  p_script_ms integer,
  p_exit_code integer,
  p_output_file text,
  p_ready_file text,
  p_rows_loaded integer,
  p_stdout_tail text,
  p_stderr_tail text
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  IF p_file_id IS NOT NULL THEN
    PERFORM "ops"."set_file_status"(p_file_id, p_status, p_reason);
  END IF;
  UPDATE "ops"."task_runs"
     SET "status" = p_status, "reason" = p_reason, "detail" = p_detail, "script" = p_script, "finished_at" = now(),
         "duration_ms" = p_duration_ms, "script_ms" = p_script_ms, "exit_code" = p_exit_code,
         "output_file" = p_output_file, "ready_file" = p_ready_file, "rows_loaded" = p_rows_loaded,
         "stdout_tail" = p_stdout_tail, "stderr_tail" = p_stderr_tail
   WHERE "id" = p_task_run_id;
END
$$;
