-- The one way for another service (the orchestrator) to change a registered file's status: the registry owns
-- `ops.file_registry`, its statuses (the check constraint) and this function; callers never update the table.
-- A function rather than a request: the orchestrator writes a file's status in the same transaction as the end
-- of its task (the task run and the loaded rows), so a crash never separates them.
-- Returns whether the file exists.
CREATE OR REPLACE FUNCTION "ops"."set_file_status"(p_file_id integer, p_status text, p_error_reason text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE "ops"."file_registry" SET "status" = p_status, "error_reason" = p_error_reason WHERE "id" = p_file_id;
  RETURN FOUND;
END
$$;
