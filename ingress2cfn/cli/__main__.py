import sys

from ingress2cfn.cli.app import main

sys.exit(main())
