from ingress2cfn.cli.app import run

run()
