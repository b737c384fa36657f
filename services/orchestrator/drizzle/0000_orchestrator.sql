CREATE SCHEMA IF NOT EXISTS "ops";
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "raw";
--> statement-breakpoint
CREATE TABLE "ops"."orchestrator_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"lock_scope" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "raw"."primary_data" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_file" text NOT NULL,
	"supplier_filial" text,
	"client_inlaw" text,
	"client_region" text,
	"client_city" text,
	"client_adress" text,
	"tms" text,
	"client_inn" text,
	"amount_type_1" numeric,
	"client_id_ish" text,
	"filename_ish" text,
	"report_provider_name" text,
	"period" date,
	"Report_Provaider" text,
	"market" text,
	"client_type" text,
	"client_name" text,
	"supplier_name" text,
	"tms_id_ish" text,
	"mnf" text,
	"naklad" text,
	"amount_type_2" numeric,
	"amount_type_3" numeric,
	"amount_type_4" numeric,
	"amount_type_5" numeric,
	"date_godnost" date,
	"sum_no_nds" numeric,
	"sum_nds" numeric
);
--> statement-breakpoint
CREATE TABLE "raw"."primary_data_loads" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_file" text NOT NULL,
	"registry_file_id" integer,
	"ready_file" text NOT NULL,
	"rows" integer NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ops"."task_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"file_id" integer NOT NULL,
	"file_path" text NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"detail" text,
	"script" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"script_ms" integer,
	"exit_code" integer,
	"output_file" text,
	"ready_file" text,
	"rows_loaded" integer,
	"stdout_tail" text,
	"stderr_tail" text
);
--> statement-breakpoint
CREATE INDEX "orchestrator_runs_started_idx" ON "ops"."orchestrator_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "primary_data_source_idx" ON "raw"."primary_data" USING btree ("source_file");--> statement-breakpoint
CREATE UNIQUE INDEX "primary_data_loads_source_idx" ON "raw"."primary_data_loads" USING btree ("source_file");--> statement-breakpoint
CREATE INDEX "task_runs_file_idx" ON "ops"."task_runs" USING btree ("file_id","attempt");--> statement-breakpoint
CREATE INDEX "task_runs_run_idx" ON "ops"."task_runs" USING btree ("run_id");