# One server for the bookstore in AWS's Jakarta region, with its firewall and DNS name.
# OpenTofu and Terraform read this file alike:
#   tofu init -backend-config=backend.hcl   # where the shared state lives (see below)
#   tofu plan -out=bookstore.plan           # what would change: review it like a diff
#   tofu apply bookstore.plan               # exactly what the plan showed, nothing else
# --8<-- [start:opentofu_state]
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  # The state records what exists; kept in a shared bucket with locking, never on a laptop.
  backend "s3" {}
}

provider "aws" {
  region = var.region
}
# --8<-- [end:opentofu_state]

variable "region" {
  type    = string
  default = "ap-southeast-3" # Asia Pacific (Jakarta)
}

variable "image_id" {
  type        = string
  description = "A Debian 12 image (AMI) in that region."
}

variable "zone_id" {
  type        = string
  description = "The Route 53 hosted zone of bookstore.example."
}

# --8<-- [start:opentofu_firewall]
variable "admin_cidr" {
  type        = string
  description = "The only network that may open SSH, e.g. the office's 203.0.113.0/24."
  validation {
    condition     = can(cidrhost(var.admin_cidr, 0)) && var.admin_cidr != "0.0.0.0/0"
    error_message = "admin_cidr must be a network such as 203.0.113.0/24, not the internet."
  }
}

# Only nginx faces the internet (80, 443); the service listens on 127.0.0.1: no rule.
resource "aws_security_group" "bookstore" {
  name        = "bookstore"
  description = "HTTP and HTTPS from anywhere, SSH from the admin network only"
  dynamic "ingress" {
    for_each = { HTTP = 80, HTTPS = 443 }
    content {
      description      = ingress.key
      from_port        = ingress.value
      to_port          = ingress.value
      protocol         = "tcp"
      cidr_blocks      = ["0.0.0.0/0"]
      ipv6_cidr_blocks = ["::/0"]
    }
  }
  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
  egress {
    description      = "Updates, the payment provider"
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}
# --8<-- [end:opentofu_firewall]

# --8<-- [start:opentofu_server]
resource "aws_instance" "bookstore" {
  ami                    = var.image_id
  instance_type          = "t3.small" # 2 vCPU, 2 GiB
  vpc_security_group_ids = [aws_security_group.bookstore.id]

  metadata_options {
    http_tokens = "required" # IMDSv2 only: a forged request cannot read the credentials
  }
  root_block_device {
    encrypted   = true
    volume_size = 20 # GiB: the system, the releases and /var/lib/bookstore
  }
  tags = {
    Name = "bookstore"
  }
}

# A fixed address: an instance's own public IP changes when it is stopped and started.
resource "aws_eip" "bookstore" {
  instance = aws_instance.bookstore.id
  domain   = "vpc"
}

resource "aws_route53_record" "bookstore" {
  zone_id = var.zone_id
  name    = "bookstore.example"
  type    = "A"
  ttl     = 300
  records = [aws_eip.bookstore.public_ip]
}

output "public_ip" {
  value = aws_eip.bookstore.public_ip
}
# --8<-- [end:opentofu_server]
