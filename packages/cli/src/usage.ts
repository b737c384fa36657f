export const USAGE = `pharma — the pharma platform from the command line

Usage: pharma [--url URL] [--json] [--no-wait] <command> [options]

  login [--email E] [--password-stdin]        open a session (token saved, never the password)
  logout                                      end the session
  whoami                                      who the saved session belongs to
  clients refresh                             collect the customer list from Sobrus again
  statements refresh --from D --to D [--client NAME]...
                                              download and parse statements (dates YYYY-MM-DD)
  export csv --client NAME [--out FILE] [--sep ;|,] [--lines]
                                              a customer's transactions (or product lines) as CSV
  sales import <url>... [--products U] [--stores U] [--sales U]
                                              import sales CSV files (kind guessed from the file name)
  registry scan                               scan the distributor intake tree
  orchestrator run                            run the pending conversion tasks
  jobs [--status S]                           recent jobs

Options:
  --url URL     gateway address (default $PHARMA_URL or http://127.0.0.1:8080)
  --json        print one JSON document per result (for scripts)
  --no-wait     start a job and print its id instead of following it

Exit codes: 0 ok, 1 job failed, 2 usage error, 3 not logged in / not allowed, 4 gateway or service unreachable`;
