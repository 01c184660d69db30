"""aem-pulumi: manage AEM as a Cloud Service networking and secrets with Pulumi."""
