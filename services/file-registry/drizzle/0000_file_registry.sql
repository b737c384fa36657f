CREATE SCHEMA IF NOT EXISTS "ops";
--> statement-breakpoint
CREATE TABLE "ops"."file_registry" (
	"id" serial PRIMARY KEY NOT NULL,
	"file_path" text NOT NULL,
	"uploaded_at" timestamp with time zone,
	"status" text DEFAULT 'NEW' NOT NULL,
	"data_provider" text,
	"report_year" integer,
	"report_month" integer,
	"client_name" text,
	"report_type" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error_reason" text,
	CONSTRAINT "file_registry_file_path_unique" UNIQUE("file_path"),
	CONSTRAINT "file_registry_status_check" CHECK ("ops"."file_registry"."status" IN ('NEW', 'PROCESSING', 'CREATED', 'ERROR', 'DELETE')),
	CONSTRAINT "file_registry_month_check" CHECK ("ops"."file_registry"."report_month" BETWEEN 1 AND 12)
);
--> statement-breakpoint
CREATE INDEX "file_registry_status_idx" ON "ops"."file_registry" USING btree ("status");--> statement-breakpoint
CREATE INDEX "file_registry_period_idx" ON "ops"."file_registry" USING btree ("data_provider","report_year","report_month");--> statement-breakpoint
CREATE INDEX "file_registry_client_idx" ON "ops"."file_registry" USING btree ("client_name");