CREATE TABLE `analyses` (
	`run_id` text PRIMARY KEY NOT NULL,
	`computed_at` text NOT NULL,
	`sales_count` integer NOT NULL,
	`total_revenue` real NOT NULL,
	`quantity_per_product` text NOT NULL,
	`revenue_per_city` text NOT NULL,
	`revenue_per_month` text NOT NULL,
	`top_products` text NOT NULL,
	`average_basket_per_store` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `http_validators` (
	`url` text PRIMARY KEY NOT NULL,
	`etag` text,
	`last_modified` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_files` (
	`run_id` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`outcome` text NOT NULL,
	`encoding` text,
	`delimiter` text,
	`bytes` integer DEFAULT 0 NOT NULL,
	`read` integer DEFAULT 0 NOT NULL,
	`inserted` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`error` text,
	PRIMARY KEY(`run_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `import_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`import_id` text NOT NULL,
	`job_id` text,
	`schedule_id` text,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`urls` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `import_runs_started_at_idx` ON `import_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `magasins` (
	`id_magasin` integer PRIMARY KEY NOT NULL,
	`ville` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `produits` (
	`id_produit` integer PRIMARY KEY NOT NULL,
	`nom` text NOT NULL,
	`prix` real NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rejects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`kind` text NOT NULL,
	`url` text NOT NULL,
	`line_number` integer NOT NULL,
	`raw_line` text NOT NULL,
	`reason` text NOT NULL,
	`message` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rejects_run_idx` ON `rejects` (`run_id`,`id`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`cron` text NOT NULL,
	`timezone` text,
	`urls` text NOT NULL,
	`owner` text NOT NULL,
	`created_at` text NOT NULL,
	`last_run_id` text,
	`last_run_at` text
);
--> statement-breakpoint
CREATE TABLE `ventes` (
	`id_vente` integer PRIMARY KEY NOT NULL,
	`id_produit` integer NOT NULL,
	`id_magasin` integer NOT NULL,
	`date_vente` text NOT NULL,
	`quantite` integer NOT NULL,
	`chiffre_affaires` real NOT NULL,
	FOREIGN KEY (`id_produit`) REFERENCES `produits`(`id_produit`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`id_magasin`) REFERENCES `magasins`(`id_magasin`) ON UPDATE no action ON DELETE no action
);
