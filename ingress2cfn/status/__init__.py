"""Status: collect and judge what is deployed (pure), write the ALB address back to the Ingresses."""
